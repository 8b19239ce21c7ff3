selector --labels app=web,tier=fe -o json -- 'tier notin (db),app'
