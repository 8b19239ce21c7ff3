selector -o json -- '!canary'
