"""Pure analysis over plain data fed by the store's SQL aggregates: weekly figures, before/after a regimen
change, lagged association. No database, no UI, no side effects at import."""
