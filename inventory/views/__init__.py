"""The inventory screens, a module each: stocktakes and counting
(stocktakes, counting), reconciliation and write-offs (reconcile,
write_offs), repair and copy tasks (repairs). Views stay thin: gate,
form, service, message (core.views)."""
