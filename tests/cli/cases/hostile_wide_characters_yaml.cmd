get pods -f hostile/wide-characters.yaml
