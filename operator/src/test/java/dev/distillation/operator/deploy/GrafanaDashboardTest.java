package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's opt-in Grafana dashboard: a ConfigMap with the sidecar's label, and queries that name
 * only metrics the operator exports (those a Prometheus registry holds after the operator's metrics
 * have recorded one of everything, and the operator SDK's reconcile counters).
 */
class GrafanaDashboardTest {

    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan");
    static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    static JsonNode configMap(String... values) {
        List<String> args = new ArrayList<>(List.of("--set", "grafana.dashboard.enabled=true"));
        args.addAll(List.of(values));
        return ChartRenderTest.one(Helm.template(args.toArray(String[]::new)), "ConfigMap");
    }

    static JsonNode dashboard(JsonNode configMap) throws Exception {
        assertThat(configMap.path("data").size()).isEqualTo(1);
        return new ObjectMapper().readTree(configMap.path("data").path("distillation-operator.json").asText());
    }

    @Test
    void theDashboardIsOffByDefault() {
        assertThat(Helm.template()).extracting(o -> o.path("kind").asText()).doesNotContain("ConfigMap");
    }

    @Test
    void theConfigMapCarriesTheSidecarsLabelWhichCanBeChanged() throws Exception {
        JsonNode byDefault = configMap();
        assertThat(byDefault.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(byDefault.path("metadata").path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
        assertThat(dashboard(byDefault).path("uid").asText()).isEqualTo("distillation-operator");

        JsonNode changed = configMap("--set", "grafana.dashboard.labelKey=example.com/dashboard",
                "--set", "grafana.dashboard.labelValue=ml", "--set", "grafana.dashboard.namespace=monitoring",
                "--set", "grafana.dashboard.annotations.grafana_folder=Distillation");
        JsonNode labels = changed.path("metadata").path("labels");
        assertThat(labels.path("example.com/dashboard").asText()).isEqualTo("ml");
        assertThat(labels.has("grafana_dashboard")).isFalse();
        assertThat(changed.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
        assertThat(changed.path("metadata").path("annotations").path("grafana_folder").asText()).isEqualTo("Distillation");

        Helm.Result badKey = Helm.run("template", Helm.RELEASE, ".", "--set", "grafana.dashboard.labelKey=not a label");
        assertThat(badKey.ok()).isFalse();
        assertThat(badKey.stderr()).contains("labelKey");
    }

    @Test
    void everyQueryNamesMetricsTheOperatorExports() throws Exception {
        Set<String> exported = exportedMetricNames();
        List<String> queries = new ArrayList<>();
        collectQueries(dashboard(configMap()), queries);

        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            Set<String> names = metricNames(query);
            assertThat(names).as("metrics named by %s", query).isNotEmpty();
            assertThat(exported).as("metrics the operator exports, for %s", query).containsAll(names);
            used.addAll(names);
        }
        // What the dashboard is for: chains by phase, stage durations, failures and retries, hand-off latency,
        // accuracy per stage, progress.
        assertThat(used).contains("distillation_chains", "distillation_stage_duration_seconds_bucket",
                "distillation_stages_failed_total", "distillation_stage_retries_total", "distillation_handoff_latency_seconds_bucket",
                "distillation_stage_accuracy", "distillation_stage_epoch_fraction", "distillation_stage_samples_per_second");
    }

    @Test
    void metricNamesAreTheSeriesSelectorsOfAQuery() {
        assertThat(metricNames("histogram_quantile(0.9, sum by (le) (rate(a_bucket{job=\"x\", le!=\"1\"}[$__rate_interval])))"))
                .containsExactly("a_bucket");
        assertThat(metricNames("sum(rate(b_sum[5m])) / sum(rate(c_count[5m] offset 1h)) > bool 0"))
                .containsExactly("b_sum", "c_count");
        assertThat(metricNames("max by (namespace, chain) (d) or on(chain) e:recorded")).containsExactly("d", "e:recorded");
    }

    /** Every "expr" anywhere in the dashboard: panel targets, and variables if they have any. */
    static void collectQueries(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr")) {
                    into.add(e.getValue().asText());
                } else {
                    collectQueries(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectQueries(n, into));
        }
    }

    /** The metric names a PromQL query selects: identifiers outside strings, label matchers, ranges and by/on lists, not called as functions. */
    static Set<String> metricNames(String query) {
        String q = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(q);
        while (m.find()) {
            String word = m.group();
            boolean call = q.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(q.charAt(m.start() - 1));
            if (!call && !number && !PROMQL_WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus scrape after the operator's metrics have each recorded something, and the SDK's counters. */
    static Set<String> exportedMetricNames() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        metrics.stageStarted();
        metrics.stageRetried("TrainerFailure");
        metrics.stageSucceeded(90.0);
        metrics.stageFailed();
        metrics.handedOff(Duration.ofMillis(400));
        metrics.reconcileError();
        metrics.endReconcile(metrics.startReconcile());
        metrics.stagesOf("ml", "c", List.of(stage("teacher", StagePhase.Succeeded), stage("student", StagePhase.Running)));

        Set<String> names = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        // The operator SDK's counters (JOSDK's Micrometer metrics, v2) need a running controller to register; their names as
        // this registry writes them. MetricsEndpointTest checks that the operator serves the SDK's reconcile counters.
        NamingConvention convention = registry.config().namingConvention();
        for (String sdkCounter : List.of(MicrometerMetricsV2.RECONCILIATIONS_STARTED, MicrometerMetricsV2.RECONCILIATIONS_FAILED)) {
            names.add(convention.name(sdkCounter, Meter.Type.COUNTER));
        }
        assertThat(names).contains("reconciliations_started_total", "reconciliations_failure_total");
        return names;
    }

    static StageStatus stage(String name, StagePhase phase) {
        StageStatus st = new StageStatus();
        st.setName(name);
        st.setPhase(phase);
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(0.9);
        st.setMetrics(m);
        StageProgress p = new StageProgress();
        p.setEpoch(1);
        p.setEpochs(10);
        p.setSamplesPerSecond(100.0);
        st.setProgress(p);
        return st;
    }
}
