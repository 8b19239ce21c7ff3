get pods -A -f hostile/wide-characters.json
