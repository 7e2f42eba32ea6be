//! `pack export`: the evidence log as a workbook or CSV (being written).
