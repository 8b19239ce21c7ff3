get pods -n reports --simulate -v -f workloads/cronjob.yaml
