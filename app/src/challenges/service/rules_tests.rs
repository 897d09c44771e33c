use super::*;
use crate::error::ErrorCode;

fn actor(user: &str, role: ChallengeRole) -> Actor {
    Actor {
        tenant_id: "t1".into(),
        user_id: user.into(),
        username: user.into(),
        role,
    }
}

fn facts<'a>(creator: Option<&'a str>, public: bool) -> ChallengeFacts<'a> {
    ChallengeFacts {
        tenant_id: "t1",
        created_by: creator,
        is_public: public,
        builtin: false,
        deleted: false,
    }
}

fn code<T>(r: Result<T, AppError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[test]
fn tenant_admins_are_challenge_admins_and_students_are_the_default() {
    assert_eq!(effective_role(Role::Admin, None), ChallengeRole::Admin);
    assert_eq!(effective_role(Role::Member, None), ChallengeRole::Student);
    assert_eq!(
        effective_role(Role::Member, Some("instructor")),
        ChallengeRole::Instructor
    );
    assert_eq!(
        effective_role(Role::Member, Some("bogus")),
        ChallengeRole::Student
    );
}

#[test]
fn private_challenges_are_hidden_except_from_creator_and_admins() {
    let private = facts(Some("teacher"), false);
    assert_eq!(
        code(can_see(&actor("student", ChallengeRole::Student), &private)),
        Some(ErrorCode::NotFound)
    );
    assert!(can_see(&actor("teacher", ChallengeRole::Instructor), &private).is_ok());
    assert!(can_see(&actor("boss", ChallengeRole::Admin), &private).is_ok());
    assert!(can_see(
        &actor("student", ChallengeRole::Student),
        &facts(None, true)
    )
    .is_ok());
}

#[test]
fn another_tenant_and_deleted_challenges_are_not_found_even_for_admins() {
    let mut other = facts(Some("boss"), true);
    other.tenant_id = "t2";
    assert_eq!(
        code(can_see(&actor("boss", ChallengeRole::Admin), &other)),
        Some(ErrorCode::NotFound)
    );
    let mut deleted = facts(Some("boss"), true);
    deleted.deleted = true;
    assert_eq!(
        code(can_edit(&actor("boss", ChallengeRole::Admin), &deleted)),
        Some(ErrorCode::NotFound)
    );
}

#[test]
fn only_instructors_and_admins_author() {
    assert_eq!(
        code(can_author(&actor("s", ChallengeRole::Student))),
        Some(ErrorCode::Forbidden)
    );
    assert!(can_author(&actor("i", ChallengeRole::Instructor)).is_ok());
    assert!(can_author(&actor("a", ChallengeRole::Admin)).is_ok());
}

#[test]
fn owners_and_admins_edit_others_get_403_and_builtins_are_read_only() {
    let ch = facts(Some("owner"), true);
    assert!(can_edit(&actor("owner", ChallengeRole::Instructor), &ch).is_ok());
    assert!(can_edit(&actor("boss", ChallengeRole::Admin), &ch).is_ok());
    assert_eq!(
        code(can_edit(&actor("other", ChallengeRole::Instructor), &ch)),
        Some(ErrorCode::Forbidden)
    );
    assert_eq!(
        code(can_edit(&actor("student", ChallengeRole::Student), &ch)),
        Some(ErrorCode::Forbidden)
    );
    let mut builtin = facts(None, true);
    builtin.builtin = true;
    assert_eq!(
        code(can_edit(&actor("boss", ChallengeRole::Admin), &builtin)),
        Some(ErrorCode::Forbidden)
    );
    assert!(!may_edit(&actor("boss", ChallengeRole::Admin), &builtin));
}

#[test]
fn solutions_only_for_creator_and_admins() {
    let ch = facts(Some("owner"), true);
    assert!(sees_solution(
        &actor("owner", ChallengeRole::Instructor),
        &ch
    ));
    assert!(sees_solution(&actor("boss", ChallengeRole::Admin), &ch));
    assert!(!sees_solution(
        &actor("other", ChallengeRole::Instructor),
        &ch
    ));
    assert!(!sees_solution(
        &actor("s", ChallengeRole::Student),
        &facts(None, true)
    ));
}

#[test]
fn delete_is_soft_only_when_submissions_exist() {
    assert_eq!(delete_kind(0), DeleteKind::Hard);
    assert_eq!(delete_kind(3), DeleteKind::Soft);
}

#[test]
fn submissions_are_read_by_owner_creator_and_admin() {
    let owner = actor("owner", ChallengeRole::Student);
    assert!(can_read_submission(&owner, "t1", "owner", Some("teacher")).is_ok());
    let teacher = actor("teacher", ChallengeRole::Instructor);
    assert!(can_read_submission(&teacher, "t1", "owner", Some("teacher")).is_ok());
    assert!(can_read_submission(&actor("a", ChallengeRole::Admin), "t1", "owner", None).is_ok());
    assert_eq!(
        code(can_read_submission(
            &actor("peer", ChallengeRole::Student),
            "t1",
            "owner",
            None
        )),
        Some(ErrorCode::NotFound)
    );
    assert_eq!(
        code(can_read_submission(
            &actor("a", ChallengeRole::Admin),
            "t2",
            "owner",
            None
        )),
        Some(ErrorCode::NotFound)
    );
}
