/**
 * Deploys a model to AWS (SageMaker endpoint, Lambda, IAM, API Gateway HTTP API, optional autoscaling),
 * records what exists in a local state file, reports status, invokes, and cleans up.
 * {@link ai.peregrine.deploy.DeploymentPlan} says what will be created; {@link ai.peregrine.deploy.AwsDeployer}
 * creates it; {@link ai.peregrine.deploy.AwsCleaner} removes it.
 */
package ai.peregrine.deploy;
