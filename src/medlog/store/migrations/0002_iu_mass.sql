-- Schema 2: a substance may say how much mass one IU of it is (vitamin D3: 1 IU = 0.025 mcg), so doses in IU
-- and doses by mass add up. Without it IU is never converted to mass. ADD COLUMN keeps every row as it was
-- (no table rebuild, so no cascade risk).
ALTER TABLE substance ADD COLUMN iu_mass_value FLOAT CHECK (iu_mass_value > 0);
ALTER TABLE substance ADD COLUMN iu_mass_unit VARCHAR;
