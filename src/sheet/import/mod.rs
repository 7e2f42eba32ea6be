//! `pack import`: an evidence-log spreadsheet into evidence/ (being written).
