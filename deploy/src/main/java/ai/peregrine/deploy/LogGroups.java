package ai.peregrine.deploy;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The CloudWatch log groups SageMaker and Lambda create for a deployment. They outlive the endpoint and function
 * (and are kept, and billed, forever by default), so cleanup deletes them unless asked to keep them.
 */
final class LogGroups {
    private final CloudWatchLogsClient logs;

    LogGroups(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    Deletion delete(String logGroup) {
        return Deletion.of(() -> logs.deleteLogGroup(r -> r.logGroupName(logGroup)));
    }
}
