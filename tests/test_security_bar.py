"""Every line of SECURITY.md names the tests that prove it; this test keeps the two in step.

The table below is the index: a SECURITY.md bullet (by its opening words) → the tests.
A bullet without a row, or a row naming a test that no longer exists, fails.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT.parent / "shared" / "SECURITY.md"

BAR = {
    "Every route is checked on the server": [
        "tests/test_access_matrix.py::test_every_route_has_a_row",
        "tests/test_access_matrix.py::test_access",
    ],
    "Confidential content": [
        "tests/test_access_matrix.py::test_access",
        "tests/live/test_notes.py::test_nobody_else_reads_a_note",
        "tests/evaluations/test_anonymity.py::test_author_of_anonymous_text_cannot_be_found",
        "tests/evaluations/test_anonymity.py::test_admin_sees_figures_but_never_text",
    ],
    "One access rule per object": [
        "tests/test_access_matrix.py::test_access",
        "tests/evaluations/test_guest_facilitator.py::test_a_guest_reads_the_text_of_their_own_round_only",
        "tests/evaluations/test_guest_facilitator.py::test_a_guest_cannot_close_or_reopen_another_meetings_round",
        "tests/evaluations/test_guest_facilitator.py::test_the_network_facilitator_runs_every_round",
        "tests/e2e/test_facilitator_browser.py::test_the_demo_facilitator_opens_checks_in_and_runs_his_coming_meeting",
    ],
    "The organisation admin sees figures and structure": [
        "tests/networks/test_coordinator_changes.py::test_the_admin_cannot_appoint_herself",
        "tests/networks/test_coordinator_changes.py::test_the_admin_cannot_take_the_invitation_she_sent_to_another_address",
        "tests/networks/test_coordinator_changes.py::test_appointing_a_friend_is_shown_and_told",
        "tests/evaluations/test_anonymity.py::test_admin_sees_figures_but_never_text",
    ],
    "No mass assignment": [
        "tests/test_static_rules.py::test_no_form_carries_ids_of_owners_or_networks",
        "tests/test_static_rules.py::test_a_smuggled_owner_id_is_ignored",
    ],
    "GET never writes": [
        "tests/conftest.py::get_never_writes",
        "tests/test_get_never_writes.py::test_a_writing_get_is_caught",
    ],
    "Logout ends the session for real": [
        "tests/auth/test_sessions.py::test_logging_out_on_the_phone_leaves_the_tablet_logged_in",
        "tests/auth/test_sessions.py::test_log_out_everywhere_ends_every_device",
        "tests/auth/test_login.py::test_logout_refuses_a_replayed_cookie",
        "tests/auth/test_password.py::test_change_password_ends_other_sessions",
        "tests/privacy/test_privacy.py::test_delete_account_leaves_no_reference_and_keeps_shared_records",
    ],
    "Cookies: HttpOnly, SameSite=Lax": [
        "tests/auth/test_cookies.py::test_production_cookies_are_secure_httponly_lax",
        "tests/auth/test_cookies.py::test_login_sets_httponly_session_cookie",
        "tests/auth/test_cookies.py::test_remember_me_sets_a_long_cookie",
    ],
    "Session lifetime outlasts a long meeting": [
        "tests/auth/test_cookies.py::test_production_cookies_are_secure_httponly_lax",
        "tests/privacy/test_privacy.py::test_export_needs_the_password_and_holds_my_rows",
        "tests/auth/test_password.py::test_change_password_needs_the_current_one",
    ],
    "Passwords: at least 8 characters": [
        "tests/auth/test_password.py::test_reset_rejects_short_common_and_mismatched_passwords",
        "tests/auth/test_login.py::test_passwords_are_hashed_with_scrypt",
    ],
    "Login attempts are limited per account and per address": [
        "tests/auth/test_login.py::test_failed_logins_are_throttled_per_account",
        "tests/auth/test_login.py::test_failed_logins_are_throttled_per_address",
        "tests/auth/test_login.py::test_wrong_password_and_unknown_email_give_the_same_message",
    ],
    "Changing the account's e-mail asks for the password": [
        "tests/auth/test_email_change.py::test_the_change_needs_the_current_password",
        "tests/auth/test_email_change.py::test_the_new_address_confirms_and_the_old_is_told",
        "tests/auth/test_takeover_links.py::test_a_password_change_voids_the_e_mail_change_an_intruder_asked_for",
        "tests/networks/test_invitations.py::test_an_invitation_to_my_address_is_not_accepted_without_its_link",
        "tests/networks/test_invitations.py::test_taking_an_invited_address_opens_no_network",
    ],
    "Links in e-mails (reset, invitation, answer, calendar) are built from the configured": [
        "tests/test_public_links.py::test_mails_point_at_public_url_whatever_host_the_request_came_by",
        "tests/test_public_links.py::test_no_mail_route_sends_anything_for_a_forged_host",
        "tests/test_public_links.py::test_a_forged_host_is_refused_in_the_users_language",
        "tests/test_public_links.py::test_no_link_is_built_from_the_request",
    ],
    "Login takes the same time for an unknown account": [
        "tests/auth/test_lockout.py::test_unknown_account_costs_one_scrypt_check_of_production_cost",
        "tests/auth/test_lockout.py::test_an_attacker_elsewhere_cannot_lock_a_member_out",
        "tests/auth/test_lockout.py::test_twenty_members_behind_one_venue_address_mistype_and_log_in",
        "tests/auth/test_reset_links.py::test_known_and_unknown_addresses_get_the_same_answer",
        "tests/auth/test_reset_links.py::test_the_same_forgot_post_many_times_sends_three_mails_an_hour",
    ],
    "`next=` after login only redirects inside the app": [
        "tests/auth/test_login.py::test_next_only_redirects_inside",
    ],
    "An htmx request whose session expired": [
        "tests/auth/test_login.py::test_expired_session_on_htmx_request_gets_hx_redirect",
    ],
    "Every POST/PUT/PATCH/DELETE carries a CSRF token": [
        "tests/test_csrf.py::test_form_without_token_gets_400_in_danish",
        "tests/test_csrf.py::test_htmx_header_token_is_accepted",
    ],
    "Autoescape everywhere": [
        "tests/test_hostile_input.py::test_hostile_text_comes_back_inert",
        "tests/test_static_rules.py::test_no_safe_filter_or_markup_on_anything",
    ],
    "A Content-Security-Policy with no `unsafe-inline`": [
        "tests/main/test_main.py::test_security_headers_on_every_page",
        "tests/test_static_rules.py::test_no_inline_script_style_or_hx_on",
        "tests/e2e/test_login_browser.py::test_login_on_a_tablet",
        "tests/e2e/test_meetings_browser.py::test_member_answers_from_the_emailed_link_on_a_phone",
        "tests/e2e/test_live_browser.py::test_sparring_groups_follow_each_other",
        "tests/e2e/test_evaluation_browser.py::test_three_phones_answer_while_the_tablet_shows_the_round",
    ],
    "Logins, failed logins and denied access are logged": [
        "tests/auth/test_login.py::test_logins_failures_and_denials_are_logged_without_secrets",
        "tests/main/test_main.py::test_500_shows_no_traceback",
        "tests/live/test_failed_note_logs.py::"
        "test_a_failed_note_save_logs_one_entry_without_the_text",
        "tests/test_operations.py::test_every_token_route_is_redacted_from_logged_paths",
        "tests/test_operations.py::test_the_gunicorn_access_log_holds_no_reset_token",
        "tests/test_operations.py::"
        "test_failed_and_throttled_logins_are_audited_and_an_operator_unlocks",
    ],
    "SQLite (the default): WAL, busy_timeout": [
        "tests/test_database.py::test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys",
        "tests/evaluations/test_concurrency.py::test_simultaneous_submits_store_one_answer",
    ],
    "Two facilitators pressing \"next\"": [
        "tests/live/test_concurrency.py::test_concurrent_next_advances_exactly_once",
    ],
    "A double-submitted form stores one row": [
        "tests/test_double_submit.py::test_meeting_planned_twice_at_once_is_stored_once",
        "tests/test_double_submit.py::test_double_tapped_goal_is_stored_once",
        "tests/evaluations/test_concurrency.py::test_simultaneous_submits_store_one_answer",
    ],
    "A server restart mid-exercise loses nothing": [
        "tests/e2e/test_restart.py::test_tablets_resume_after_gunicorn_reload_and_restart",
    ],
    "Migrations: one head": [
        "tests/test_cli.py::test_migrations_have_one_head_and_round_trip",
        "tests/test_cli.py::test_init_db_migrates_to_a_schema_that_matches_the_models",
    ],
    "Input hygiene in one layer": [
        "tests/test_input_hygiene.py::test_every_form_inherits_the_hygiene_layer",
        "tests/test_input_hygiene.py::test_nul_in_a_name_is_refused_with_a_message_and_nothing_is_saved",
        "tests/test_hostile_values.py::test_every_form_takes_every_hostile_value",
        "tests/test_hostile_values.py::test_ids_beyond_the_database_range_are_404",
    ],
    "Anonymous evaluation answers stay anonymous": [
        "tests/evaluations/test_kiosk_privacy.py::test_someone_who_answered_is_shown_as_done_and_cannot_be_picked",
        "tests/evaluations/test_kiosk_privacy.py::test_a_forged_post_for_someone_who_answered_changes_and_shows_nothing",
        "tests/evaluations/test_kiosk_privacy.py::test_reopening_and_answering_again_keeps_the_first_answer_and_the_results",
    ],
    "Backups: SQLite through the online backup API": [
        "tests/test_cli.py::test_backup_copies_a_live_database_that_restores",
        "tests/test_operations.py::test_a_postgresql_backup_restores_into_an_empty_database",
        "tests/test_operations.py::test_a_sqlite_restore_removes_the_stale_wal_and_is_owner_only",
        "tests/test_operations_readme.py::test_the_readme_operations_run_as_written",
    ],
    "Bad input anywhere": [
        "tests/test_hostile_input.py::test_forms_never_answer_500",
    ],
    "Each member can download their own data": [
        "tests/privacy/test_privacy.py::test_export_needs_the_password_and_holds_my_rows",
        "tests/privacy/test_privacy.py::test_every_user_reference_is_deleted_or_nulled_by_the_database",
        "tests/privacy/test_privacy.py::test_delete_account_leaves_no_reference_and_keeps_shared_records",
    ],
    "Optional profile fields (gender, age)": [
        "tests/networks/test_setup.py::test_profile_out_of_range_and_consent",
    ],
    "Sparring notes may contain health data": [
        "tests/live/test_notes.py::test_purge_expired_deletes_notes_after_the_retention_period",
        "tests/live/test_notes.py::test_nobody_else_reads_a_note",
    ],
    "No CPR numbers are ever asked for": [
        "tests/test_static_rules.py::test_no_page_asks_for_a_cpr_number",
    ],
}


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_named_test_exists():
    missing = []
    for line, tests in BAR.items():
        for test in tests:
            path, name = test.split("::")
            if not (ROOT / path).exists() or name not in _defined(ROOT / path):
                missing.append(f"{line}: {test}")
    assert missing == []


@pytest.mark.skipif(not SECURITY.exists(), reason="SECURITY.md is in shared/ beside the clone")
def test_every_line_of_security_md_has_tests():
    bullets = [line[2:] for line in SECURITY.read_text().splitlines() if line.startswith("- ")]
    unmatched = [b[:60] for b in bullets if not any(b.startswith(key) for key in BAR)]
    assert unmatched == []
