package dev.distillation.operator.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.operator.progress.ProgressTargets.Target;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource.ResourceFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Asks the running trainers of one chain for their progress ({@code GET /progress} on the Pod's IP),
 * all at once, each bounded by a timeout. The API server is not involved: the Pods come from the
 * informer cache, the answers go straight from Pod to operator. A Pod that does not answer keeps its
 * last reading and is asked again only after a growing pause ({@link #pause}), so Pods the operator
 * cannot reach (a NetworkPolicy, a simulated node) cost one timeout now and then, not one per poll.
 */
public final class ProgressPoller implements ResourceFetcher<ProgressReading, DistillationChain> {

    private static final Logger LOG = Logger.getLogger(ProgressPoller.class);
    /** A progress document is a few hundred bytes; a bigger answer is not one. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** The longest pause before asking a Pod that did not answer again. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<DistillationChain, Set<Pod>> pods;
    private final HttpClient http;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    /** Per chain (namespace/name), per running Pod: its last reading, and when it may be asked again after failures. */
    private final Map<String, Map<String, PodState>> state = new ConcurrentHashMap<>();

    private record PodState(ProgressReading last, int failures, Instant nextTry) {}

    public ProgressPoller(Function<DistillationChain, Set<Pod>> pods, Duration interval, Duration timeout, Clock clock) {
        this.pods = pods;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * How long to wait before asking again a Pod that failed to answer {@code failures} times in a row:
     * the poll interval doubled per failure, at most {@link #MAX_PAUSE}.
     */
    static Duration pause(int failures, Duration interval) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration pause = interval.multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }

    @Override
    public Set<ProgressReading> fetchResources(DistillationChain chain) {
        String key = key(chain);
        Map<String, PodState> before = state.getOrDefault(key, Map.of());
        Map<String, PodState> after = new ConcurrentHashMap<>();
        Instant now = clock.instant();
        List<CompletableFuture<Void>> asks = new ArrayList<>();
        for (Target target : ProgressTargets.of(pods.apply(chain))) {
            PodState was = before.get(target.pod());
            if (was != null && now.isBefore(was.nextTry())) {
                after.put(target.pod(), was);
                continue;
            }
            asks.add(ask(target).handle((progress, error) -> {
                after.put(target.pod(), next(target, was, progress, error));
                return null;
            }));
        }
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).join();
        if (after.isEmpty()) {
            state.remove(key);
        } else {
            state.put(key, after);
        }
        Set<ProgressReading> readings = new LinkedHashSet<>();
        after.values().stream().map(PodState::last).filter(Objects::nonNull)
                .sorted(Comparator.comparing(ProgressReading::pod)).forEach(readings::add);
        return readings;
    }

    /** Forgets a deleted chain's Pods. */
    void forget(DistillationChain chain) {
        state.remove(key(chain));
    }

    private static String key(DistillationChain chain) {
        return chain.getMetadata().getNamespace() + "/" + chain.getMetadata().getName();
    }

    private PodState next(Target target, PodState was, StageProgress progress, Throwable error) {
        if (error == null) {
            return new PodState(new ProgressReading(target.stage(), target.pod(), progress), 0, Instant.MIN);
        }
        int failures = was == null ? 1 : was.failures() + 1;
        Duration pause = pause(failures, interval);
        LOG.debugf("no progress from Pod %s (%s); asking again in %s", target.uri(), error.getMessage(), pause);
        return new PodState(was == null ? null : was.last(), failures, clock.instant().plus(pause));
    }

    private CompletableFuture<StageProgress> ask(Target target) {
        HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(timeout).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                return parse(body.readNBytes(MAX_BODY_BYTES + 1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static StageProgress parse(byte[] body) throws IOException {
        if (body.length > MAX_BODY_BYTES) {
            throw new IOException("answer longer than " + MAX_BODY_BYTES + " bytes");
        }
        return JSON.readValue(body, StageProgress.class);
    }
}
