"""Tests of wfscc.data: loaders, validation, the generator and the calibration."""
