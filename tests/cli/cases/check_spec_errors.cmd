# Cross-field errors ValidateService would report, as check findings in the API server's words.
check -f spec-errors.yaml
