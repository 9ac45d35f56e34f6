package dev.distillation.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Serves the stage's progress ({@link StageProgress} as JSON) at {@code GET /progress} while it trains,
 * for the operator to read into the chain's status. The trainer Pod needs no credentials for it: the
 * operator asks, the Pod answers. The document changes once per epoch (and at the start); a read
 * costs the training thread nothing, as it only swaps in a new document.
 *
 * <p>The estimated completion uses wall-clock time between reports, evaluation included, so it is
 * what an operator waiting for the stage sees.
 */
public final class ProgressEndpoint implements TrainingListener, AutoCloseable {

    public static final String PATH = StageJob.PROGRESS_PATH;

    private final HttpServer server;
    private final Clock clock;
    private final Eta eta = new Eta();
    private volatile byte[] document;
    private int totalEpochs;
    private Instant last;

    private ProgressEndpoint(HttpServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
        this.document = json(new StageProgress());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Listens on every address of the Pod, on {@code port} (0: a free one). */
    public static ProgressEndpoint start(int port, Clock clock) throws IOException {
        return new ProgressEndpoint(HttpServer.create(new InetSocketAddress(port), 8), clock);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
        this.totalEpochs = totalEpochs;
        this.last = clock.instant();
        StageProgress p = new StageProgress();
        p.setEpoch(Math.min(firstEpoch - 1, totalEpochs));
        p.setEpochs(totalEpochs);
        p.setUpdateTime(time(last));
        document = json(p);
    }

    @Override
    public void onEpoch(EpochResult r) {
        Instant now = clock.instant();
        eta.add((now.toEpochMilli() - (last == null ? now : last).toEpochMilli()) / 1000.0);
        last = now;
        StageProgress p = new StageProgress();
        p.setEpoch(r.epoch());
        p.setEpochs(totalEpochs);
        p.setTestAccuracy(r.testAccuracy());
        p.setTestLoss(r.testLoss());
        p.setSamplesPerSecond(Math.rint(r.samplesPerSecond()));
        double remaining = eta.remainingSeconds(r.epoch(), totalEpochs);
        if (!Double.isNaN(remaining)) {
            p.setEstimatedCompletionTime(time(now.plusMillis(Math.round(remaining * 1000))));
        }
        p.setUpdateTime(time(now));
        document = json(p);
    }

    @Override
    public void onFinish(StageMetrics metrics) {
        // the last epoch's document stays: the Pod ends right after, with the metrics in its termination message
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = document;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static byte[] json(StageProgress progress) {
        try {
            return Json.COMPACT.writeValueAsBytes(progress);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
