package ai.peregrine.deploy;

import software.amazon.awssdk.services.iam.IamClient;

/** Creates a role with one inline policy, and removes both (a role with policies cannot be deleted). */
final class IamRoles {
    private final IamClient iam;

    IamRoles(IamClient iam) {
        this.iam = iam;
    }

    void ensureRole(Recorder rec, ResourceKind kind, String role, String trustPolicy, String description) {
        try {
            String arn = iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(trustPolicy)
                    .description(description)).role().arn();
            rec.created(kind, role, arn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(kind, role, iam.getRole(r -> r.roleName(role)).role().arn());
        }
    }

    /** PutRolePolicy replaces a policy of the same name, so this is idempotent by itself. */
    void putPolicy(Recorder rec, ResourceKind kind, String role, String policy, String document) {
        iam.putRolePolicy(r -> r.roleName(role).policyName(policy).policyDocument(document));
        rec.save(kind, role + ":" + policy, null);
        rec.say("  + " + kind.label() + " " + policy + " put on " + role);
    }

    Deletion deletePolicy(String role, String policy) {
        return Deletion.of(() -> iam.deleteRolePolicy(r -> r.roleName(role).policyName(policy)));
    }

    Deletion deleteRole(String role) {
        return Deletion.of(() -> iam.deleteRole(r -> r.roleName(role)));
    }

    boolean exists(String role) {
        try {
            iam.getRole(r -> r.roleName(role));
            return true;
        } catch (RuntimeException e) {
            if (AwsErrors.isNotFound(e)) return false;
            throw e;
        }
    }
}
