# A headless Service without ports: kubectl lists its ready addresses as bare IPs.
get endpoints -f headless.yaml
