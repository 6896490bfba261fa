"""Appraisal, weeding and disposal (R-DISP-1..3): numbered lists with their
workflow (draft, submit, the department head's and leadership's approvals,
return, strike-off), the witnessed destruction and its execution.

The record's own states, retention, holds and tombstones belong to records;
this app decides when they change and calls records.services.disposition
to change them. It imports accounts, core, jobs and records only."""
