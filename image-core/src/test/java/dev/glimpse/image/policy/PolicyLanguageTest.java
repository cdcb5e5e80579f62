package dev.glimpse.image.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.RequestContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyLanguageTest {
    private static final RequestContext MEMBER = RequestContext.member("p1", "u1");
    private static final RequestContext ADMIN = RequestContext.admin("p0", "root");
    private static final RequestContext NO_ROLES =
            RequestContext.builder().projectId("p1").userId("u2").build();

    private static boolean eval(String rule, RequestContext context, Map<String, String> target) {
        return Policy.defaults().withRules(Map.of("r", rule)).check("r", context, target);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                   | true",
        "`   `                                | true",
        "@                                    | true",
        "!                                    | false",
        "role:member                          | true",
        "role:MEMBER                          | true",
        "role:admin                           | false",
        "not role:admin                       | true",
        "not not role:admin                   | false",
        "role:admin or role:member            | true",
        "role:admin and role:member           | false",
        "role:reader and role:member          | true",
        "role:admin or role:reader and !      | false",
        "(role:admin or role:reader) and @    | true",
        "((role:admin)) or ((!))              | false",
        "not (role:admin or role:member)      | false",
        "role:admin or not role:admin and !   | false",
        "project_id:%(owner)s                 | true",
        "project_id:%(project_id)s            | false",
        "project_id:%(missing)s               | false",
        "user_id:u1                           | true",
        "user_id:u2                           | false",
        "'public':%(visibility)s              | true",
        "\"public\":%(visibility)s            | true",
        "'private':%(visibility)s             | false",
        "is_admin:True                        | false",
        "is_admin:False                       | true",
        "roles:reader                         | true",
        "roles:admin                          | false",
        "role:%(wanted_role)s                 | true",
        "True:%(flag)s                        | true",
        "42:%(answer)s                        | true",
        "project_id:p%(suffix)s               | true",
        "tenant:p1                            | true",
        "role:member AND role:reader          | true",
        "no.such.credential:x                 | false",
    })
    void evaluatesTheLanguage(String rule, boolean expected) {
        Map<String, String> target = Map.of("owner", "p1", "project_id", "p2", "visibility", "public",
                "wanted_role", "reader", "flag", "True", "answer", "42", "suffix", "1");
        assertThat(eval(rule, MEMBER, target)).isEqualTo(expected);
    }

    @Test
    void isAdminComesFromTheContext() {
        assertThat(eval("is_admin:True", ADMIN, Map.of())).isTrue();
        RequestContext flagged = RequestContext.builder().projectId("p").userId("u").admin(true).build();
        assertThat(eval("is_admin:True", flagged, Map.of())).isTrue();
        assertThat(eval("role:admin", flagged, Map.of())).isFalse();
    }

    @Test
    void ruleReferencesFollowOverrides() {
        Policy policy = Policy.defaults().withRules(Map.of("base", "role:reader", "r", "rule:base and user_id:u1"));
        assertThat(policy.check("r", MEMBER, Map.of())).isTrue();
        assertThat(policy.check("r", NO_ROLES, Map.of())).isFalse();
        Policy tightened = policy.withRules(Map.of("base", "!"));
        assertThat(tightened.check("r", MEMBER, Map.of())).isFalse();
    }

    @Test
    void referenceToAnUndefinedRuleDeniesAndWarns() {
        Policy policy = Policy.defaults().withRules(Map.of("add_image", "rule:nope or role:nobody"));
        assertThat(policy.check("add_image", ADMIN, Map.of("owner", "p0", "project_id", "p0"))).isFalse();
        assertThat(policy.warnings()).anySatisfy(w -> assertThat(w).contains("'add_image'").contains("'nope'"));
    }

    @Test
    void unknownRuleNameIsKeptAndWarned() {
        Policy policy = Policy.defaults().withRules(Map.of("get_imagez", "!"));
        assertThat(policy.rules()).containsEntry("get_imagez", "!");
        assertThat(policy.warnings()).singleElement().asString().contains("get_imagez").contains("not a Glance policy rule");
        assertThat(Policy.defaults().warnings()).isEmpty();
    }

    @Test
    void unknownActionIsAProgrammingError() {
        assertThatThrownBy(() -> Policy.defaults().check("get_imagez", ADMIN, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("get_imagez");
    }

    @Test
    void enforceThrowsForbiddenNamingActionAndCaller() {
        assertThatThrownBy(() -> Policy.defaults().enforce("publicize_image", MEMBER, Map.of()))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("publicize_image").hasMessageContaining("p1").hasMessageContaining("u1");
        Policy.defaults().enforce("publicize_image", ADMIN, Map.of());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "role:admin or                | 14 | expected a check after 'or'",
        "role:admin and and role:x    | 16 | expected a check, found 'and'",
        "(role:admin                  | 1  | '(' is never closed",
        "role:admin)                  | 11 | unbalanced ')'",
        "role:admin role:member       | 12 | expected 'and', 'or' or the end",
        "admin                        | 1  | 'admin' is not a check",
        ":admin                       | 1  | nothing before ':'",
        "role:                        | 6  | nothing after ':'",
        "project_id:%(owner           | 12 | malformed substitution",
        "project_id:%owner            | 12 | malformed substitution",
        "http:example.com             | 1  | remote checks",
        "not                          | 4  | expected a check after 'not'",
    })
    void syntaxErrorsNameRuleAndPosition(String rule, int position, String reason) {
        assertThatThrownBy(() -> Policy.defaults().withRules(Map.of("my_rule", rule)))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.ruleName()).contains("my_rule");
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains("'my_rule'").contains(reason)
                            .contains("position " + position);
                });
    }

    @Test
    void referenceCyclesAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> Policy.defaults().withRules(Map.of("a", "rule:b", "b", "role:x or rule:a")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("cycle");
        assertThatThrownBy(() -> Policy.defaults().withRules(Map.of("default", "rule:default")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("default -> default");
    }

    @Test
    void defaultsAreUnchangedByOverrides() {
        Policy.defaults().withRules(Map.of("get_image", "!"));
        assertThat(Policy.defaults().check("get_image", MEMBER,
                PolicyTargets.image("i", "p1", "private", null, null, Map.of()))).isTrue();
        assertThat(Policy.defaultRuleNames()).contains("get_image", "add_metadef_namespace", "tasks_api_access");
    }

    @Test
    void extraPropertiesCannotSpoofIdentityKeys() {
        Map<String, String> target = PolicyTargets.image("img", "owner-project", "private", null, null,
                Map.of("member_id", "p1", "project_id", "p1", "os_distro", "debian"));
        assertThat(target).doesNotContainEntry("member_id", "p1").containsEntry("project_id", "owner-project")
                .containsEntry("os_distro", "debian");
        assertThat(Policy.defaults().check("get_image", MEMBER, target)).isFalse();
    }

    @Test
    void rolesAreCaseInsensitive() {
        RequestContext upper = RequestContext.builder().projectId("p1").userId("u").roles(Set.of("Reader")).build();
        assertThat(eval("role:reader", upper, Map.of())).isTrue();
    }
}
