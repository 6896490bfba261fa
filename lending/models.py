# Loans, requests and approvals arrive with the lending issue. Confidential
# access grants already live in records.AccessGrant, which lending will create.
