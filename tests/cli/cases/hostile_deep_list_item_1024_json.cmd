get pods -A -f hostile/deep-list-item-1024.json
