get pods -A -f hostile/deep-nesting.yaml
