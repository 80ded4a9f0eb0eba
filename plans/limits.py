"""How long the texts of a plan may be: plain numbers without Django models, because the
plan row reader (run by the seed extractor without settings) needs them too."""

# How long a text may be, in characters. Checked by the forms, the admin and the plan
# importer (the database does not limit a TextField). Measured on the Phra Khanong plan of
# 2565 (fixtures/phra_khanong/plan_2565.csv, from the district's document): the longest
# analysis is 567 characters, issues 219, one action 200 (a whole improvement cell 303) and a
# follow-up method 49. The limits leave room for several times that, and stop a pasted book.
ANALYSIS_MAX_CHARS = 5000
ISSUES_MAX_CHARS = 5000
ACTION_TEXT_MAX_CHARS = 2000
FOLLOW_UP_MAX_CHARS = 1000
# A progress report describes what was done in a round: as long as an analysis at most.
NOTE_MAX_CHARS = 5000
