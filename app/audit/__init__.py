"""The audit trail: who did what, when, within a school and class. Every feature writes to it
(auth's password links included), so it sits beneath them all and takes anything with ids; the
page that reads it is `app/audit_log`."""
