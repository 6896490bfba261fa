"""The bottom package: helpers every app may use and that know no app.

- core.text: list punctuation inside translated sentences (、 and ；).
- core.history: who and why of a history row (save_with_history,
  acting_as) and the registry of change reasons each app adds to.
- core.exceptions: ActionRefused, the one base of every refusal a user reads.
- core.views: the access gate and the one place a refusal becomes a form
  error or a message.
- core.text_input: free text as stored (invisible bidi and zero-width marks
  removed, control characters refused), for form and model fields.
- core.limits: the ranges of numbers and dates people enter, with one
  message naming the field.

It imports Django and simple-history only: accounts, records and every app
above them may import it; it imports none of them, nor archive_site."""
