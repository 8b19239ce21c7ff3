# go-yaml double-quotes text that would read back as another type and single-quotes any other
# text that cannot be plain (kubectl prints RBAC's `- '*'` that way).
get svc quoting -o yaml -f quoting.yaml
