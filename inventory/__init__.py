"""The year-end stocktake (盘点, R-INV-1), repair and copy tasks (R-INV-2),
write-offs (核销, R-INV-3) and labels. Records imports nothing of it: what
happens to a record is done by records.services."""
