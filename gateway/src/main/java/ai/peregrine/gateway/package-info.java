/**
 * The local gateway: API Gateway's role on one machine (API keys, usage plans, CORS, payload limit, integration
 * timeout, access logs) in front of the Lambda handler, which runs in-process against the local SageMaker Runtime;
 * plus what API Gateway cannot give on CPUs: SSE streaming and asynchronous jobs kept in an embedded database.
 */
package ai.peregrine.gateway;
