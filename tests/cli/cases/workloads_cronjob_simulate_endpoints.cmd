get endpoints -n reports --simulate -f workloads/cronjob.yaml
