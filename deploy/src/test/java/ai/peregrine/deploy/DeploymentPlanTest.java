package ai.peregrine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeploymentPlanTest {
    private final DeploySpec spec = DeploySpec.defaults("falcon-7b-instruct", "us-east-1",
            "tiiuae/falcon-7b-instruct", Path.of("lambda/target/peregrine-lambda.jar"));

    @Test
    void tgiImageUriMatchesTheSagemakerSdkMapping() {
        assertThat(TgiImageUris.uri("us-east-1", "0.8.2")).isEqualTo(
                "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.0.0-tgi0.8.2-gpu-py39-cu118-ubuntu20.04");
        assertThat(TgiImageUris.uri("af-south-1", "0.9")).startsWith("626614931356.dkr.ecr.af-south-1.amazonaws.com/")
                .endsWith(":2.0.1-tgi0.9.3-gpu-py39-cu118-ubuntu20.04");
        assertThatThrownBy(() -> TgiImageUris.uri("mars-1", "0.8.2")).hasMessageContaining("--image-uri");
    }

    @Test
    void planListsEveryResourceInCreationOrderWithKeySettings() {
        DeploymentPlan plan = DeploymentPlan.of(spec, "123456789012");
        assertThat(plan.resources()).extracting(PlannedResource::kind).containsExactly(
                ResourceKind.SAGEMAKER_ROLE, ResourceKind.SAGEMAKER_ROLE_POLICY, ResourceKind.MODEL,
                ResourceKind.ENDPOINT_CONFIG, ResourceKind.ENDPOINT, ResourceKind.LAMBDA_ROLE,
                ResourceKind.LAMBDA_ROLE_POLICY, ResourceKind.LAMBDA_FUNCTION, ResourceKind.HTTP_API,
                ResourceKind.API_INVOKE_PERMISSION);
        String text = plan.render();
        assertThat(text).contains("HF_MODEL_ID=tiiuae/falcon-7b-instruct", "SM_NUM_GPUS=1", "MAX_INPUT_TOKENS=1024",
                "MAX_TOTAL_TOKENS=2048", "instanceType: ml.g5.2xlarge", "containerStartupHealthCheckTimeoutSeconds: 300",
                "ENDPOINT_NAME=falcon-7b-instruct", "POST /generate",
                "arn:aws:sagemaker:us-east-1:123456789012:endpoint/falcon-7b-instruct");
    }

    @Test
    void autoscalingAndAGivenExecutionRoleChangeThePlan() {
        DeploymentPlan plan = DeploymentPlan.of(spec.withAutoscaling(new DeploySpec.Autoscaling(1, 4, 10))
                .withExecutionRoleArn("arn:aws:iam::1:role/existing"), DeploymentPlan.ACCOUNT_PLACEHOLDER);
        assertThat(plan.resources()).extracting(PlannedResource::kind)
                .doesNotContain(ResourceKind.SAGEMAKER_ROLE)
                .contains(ResourceKind.SCALABLE_TARGET, ResourceKind.SCALING_POLICY);
        assertThat(plan.render()).contains("executionRole: arn:aws:iam::1:role/existing", "<account-id>");
    }

    @Test
    void peregrineImageNeedsAnImageUriAndHasNoGpuEnvironment() {
        DeploySpec cpu = new DeploySpec("p", "us-east-1", "m/x", ImageChoice.PEREGRINE, null, null, null,
                DeploySpec.DEFAULT_CPU_INSTANCE, 1, 0, 512, 1024, 600, null, Path.of("x.jar"), "h", "java25", null);
        assertThatThrownBy(cpu::resolvedImageUri).hasMessageContaining("--image-uri");
        assertThat(DeploymentPlan.environment(cpu)).doesNotContainKey("SM_NUM_GPUS");
        DeploySpec withModel = new DeploySpec("p", "us-east-1", "m/x", ImageChoice.PEREGRINE, null,
                "1.dkr.ecr.us-east-1.amazonaws.com/peregrine:0.1.0", "s3://bucket/models/m.tar.gz",
                DeploySpec.DEFAULT_CPU_INSTANCE, 1, 0, 512, 1024, 600, null, Path.of("x.jar"), "h", "java21", null);
        assertThat(DeploymentPlan.of(withModel, "123456789012").render()).contains(
                "modelDataUrl: s3://bucket/models/m.tar.gz (unpacked into /opt/ml/model)", "s3:GetObject on s3://bucket/models/m.tar.gz");
        assertThat(Policies.sagemakerExecution("us-east-1", "1", "p", "s3://bucket/models/m.tar.gz"))
                .contains("\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/models/m.tar.gz\"");
        assertThat(Policies.sagemakerExecution("us-east-1", "1", "p", null)).doesNotContain("s3:");
    }

    @Test
    void namesFromModelIdsAreValidEndpointNames() {
        assertThat(DeploySpec.nameFor("tiiuae/falcon-7b-instruct")).isEqualTo("falcon-7b-instruct");
        assertThat(DeploySpec.nameFor("org/Some_Model.v2--")).isEqualTo("some-model-v2");
        assertThatThrownBy(() -> DeploySpec.defaults("bad_name", "us-east-1", "m", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
