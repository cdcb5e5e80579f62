package dev.glimpse.image;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is making a request: the project (tenant) and user, their roles, and whether they act as an
 * administrator. Every {@link ImageService} call takes one; it is what policy rules such as
 * {@code role:admin} or {@code project_id:%(owner)s} are checked against.
 *
 * <p>Immutable and thread-safe. Role names are compared case-insensitively, as Keystone does, and
 * are stored in lower case.
 */
public final class RequestContext {
    private final String projectId;
    private final String userId;
    private final Set<String> roles;
    private final boolean admin;

    private RequestContext(Builder builder) {
        this.projectId = requireText(builder.projectId, "projectId");
        this.userId = requireText(builder.userId, "userId");
        TreeSet<String> normalized = new TreeSet<>();
        for (String role : builder.roles) {
            normalized.add(requireText(role, "role").toLowerCase(Locale.ROOT));
        }
        this.roles = Set.copyOf(normalized);
        // Glance derives is_admin from the admin role; an explicit flag may only add to that.
        this.admin = builder.admin || this.roles.contains("admin");
    }

    /** Returns a builder with no roles and no admin flag. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a context for a project member with the {@code member} and {@code reader} roles. */
    public static RequestContext member(String projectId, String userId) {
        return builder().projectId(projectId).userId(userId).roles(Set.of("member", "reader")).build();
    }

    /** Returns an administrator context (roles {@code admin}, {@code member}, {@code reader}). */
    public static RequestContext admin(String projectId, String userId) {
        return builder().projectId(projectId).userId(userId).roles(Set.of("admin", "member", "reader")).build();
    }

    /** The caller's project (Keystone project id, Glance's tenant); never empty. */
    public String projectId() {
        return projectId;
    }

    /** The caller's user id; never empty. */
    public String userId() {
        return userId;
    }

    /** The caller's roles, lower case, sorted. */
    public Set<String> roles() {
        return roles;
    }

    /** Whether the caller has the given role (case-insensitive). */
    public boolean hasRole(String role) {
        return roles.contains(role.toLowerCase(Locale.ROOT));
    }

    /** Whether the caller acts as a cloud administrator (has the admin role or was built as admin). */
    public boolean isAdmin() {
        return admin;
    }

    /** Returns a builder initialised with this context's values. */
    public Builder toBuilder() {
        return builder().projectId(projectId).userId(userId).roles(roles).admin(admin);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestContext other
                && projectId.equals(other.projectId)
                && userId.equals(other.userId)
                && roles.equals(other.roles)
                && admin == other.admin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(projectId, userId, roles, admin);
    }

    @Override
    public String toString() {
        return "RequestContext{project=" + projectId + ", user=" + userId + ", roles=" + roles
                + (admin ? ", admin" : "") + "}";
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Builds a {@link RequestContext}. Not thread-safe. */
    public static final class Builder {
        private String projectId;
        private String userId;
        private Set<String> roles = Set.of();
        private boolean admin;

        private Builder() {}

        /** Sets the caller's project id. Required. */
        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        /** Sets the caller's user id. Required. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** Sets the caller's roles (replacing any set before). */
        public Builder roles(Set<String> roles) {
            this.roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
            return this;
        }

        /** Marks the caller as an administrator even without the admin role. */
        public Builder admin(boolean admin) {
            this.admin = admin;
            return this;
        }

        /**
         * Builds the context.
         *
         * @throws NullPointerException if the project or user id is missing
         * @throws IllegalArgumentException if either is blank
         */
        public RequestContext build() {
            return new RequestContext(this);
        }
    }
}
