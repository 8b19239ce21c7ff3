get pods -n reports -o wide --simulate -f workloads/cronjob.yaml
