package dev.distillation.operator.refusal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server's answers as a real one gives them (messages from kube-apiserver v1.36), and what the user reads. */
class RefusalTest {

    static Status status(int code, String reason, String message, String causeField) {
        StatusBuilder b = new StatusBuilder().withCode(code).withReason(reason).withMessage(message);
        if (causeField != null) {
            b.withNewDetails().addNewCause().withField(causeField).withReason("FieldValueInvalid").withMessage("x").endCause().endDetails();
        }
        return b.build();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Refusal.POD, status(403, "Forbidden", "pods \"c-teacher-a1\" is forbidden: no PriorityClass with name nope was found", null),
                        false, "spec.trainer.priorityClassName: Kubernetes refused pod c-teacher-a1 (Forbidden): "
                                + "pods \"c-teacher-a1\" is forbidden: no PriorityClass with name nope was found"),
                Arguments.of(Refusal.POD, status(403, "Forbidden", "pods \"c-teacher-a1\" is forbidden: exceeded quota: small, requested: "
                                + "limits.memory=8Gi,requests.memory=8Gi, used: limits.memory=0,requests.memory=0, limited: limits.memory=1Gi", null),
                        false, "spec.trainer.resources.memory: Kubernetes refused pod c-teacher-a1 (Forbidden): pods \"c-teacher-a1\" is "
                                + "forbidden: exceeded quota: small, requested: limits.memory=8Gi,requests.memory=8Gi, used: "
                                + "limits.memory=0,requests.memory=0, limited: limits.memory=1Gi"),
                Arguments.of(Refusal.POD, status(422, "Invalid", "Pod \"c-teacher-a1\" is invalid: spec.containers[0].resources.requests: "
                                + "Invalid value: \"8Gi\": must be less than or equal to memory limit of 4Gi",
                                "spec.containers[0].resources.requests"),
                        true, "spec.trainer.resources: Kubernetes refused pod c-teacher-a1 (Invalid): Pod \"c-teacher-a1\" is invalid: "
                                + "spec.containers[0].resources.requests: Invalid value: \"8Gi\": must be less than or equal to memory limit of 4Gi"),
                Arguments.of(Refusal.POD, status(403, "Forbidden", "admission webhook \"policy.example.com\" denied the request: "
                                + "images from docker.io are not allowed", null),
                        false, "Kubernetes refused pod c-teacher-a1 (Forbidden): admission webhook \"policy.example.com\" denied the "
                                + "request: images from docker.io are not allowed"),
                Arguments.of(Refusal.VOLUME, status(403, "Forbidden", "persistentvolumeclaims \"c-teacher\" is forbidden: exceeded quota: "
                                + "disk, requested: requests.storage=2Gi, used: requests.storage=9Gi, limited: requests.storage=10Gi", null),
                        false, "spec.storage.size: Kubernetes refused volume c-teacher (Forbidden): persistentvolumeclaims \"c-teacher\" is "
                                + "forbidden: exceeded quota: disk, requested: requests.storage=2Gi, used: requests.storage=9Gi, limited: "
                                + "requests.storage=10Gi"),
                Arguments.of(Refusal.VOLUME, status(403, "Forbidden", "persistentvolumeclaims \"c-teacher\" is forbidden: exceeded quota: disk, "
                                + "requested: limited.storageclass.storage.k8s.io/requests.storage=2Gi, used: "
                                + "limited.storageclass.storage.k8s.io/requests.storage=0, limited: limited.storageclass.storage.k8s.io/requests.storage=1Gi", null),
                        false, "spec.storage.size: Kubernetes refused volume c-teacher (Forbidden): persistentvolumeclaims \"c-teacher\" is "
                                + "forbidden: exceeded quota: disk, requested: limited.storageclass.storage.k8s.io/requests.storage=2Gi, used: "
                                + "limited.storageclass.storage.k8s.io/requests.storage=0, limited: limited.storageclass.storage.k8s.io/requests.storage=1Gi"),
                Arguments.of(Refusal.VOLUME, status(422, "Invalid", "PersistentVolumeClaim \"c-teacher\" is invalid: spec.storageClassName: "
                                + "Invalid value: \"Fast\"", "spec.storageClassName"),
                        true, "spec.storage.storageClassName: Kubernetes refused volume c-teacher (Invalid): PersistentVolumeClaim "
                                + "\"c-teacher\" is invalid: spec.storageClassName: Invalid value: \"Fast\""));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("refusals")
    void namesTheFieldAndQuotesKubernetes(String object, Status status, boolean specError, String described) {
        String name = object.equals(Refusal.POD) ? "c-teacher-a1" : "c-teacher";

        Refusal refusal = Refusal.of(object, name, status.getCode(), status, "client message");

        assertThat(refusal.describe()).isEqualTo(described);
        assertThat(refusal.specError()).isEqualTo(specError);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void withoutAStatusTheClientsMessageIsQuoted(String object) {
        Refusal refusal = Refusal.of(object, "x", 403, null, "Failure executing: POST ... Message: forbidden.");

        assertThat(refusal.describe()).endsWith("Kubernetes refused " + object + " x (HTTP 403): Failure executing: POST ... Message: forbidden.");
    }
}
