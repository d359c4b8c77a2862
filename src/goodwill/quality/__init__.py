"""Service quality: metrics that recalibrate speed (resolution, reopens, sentiment recovery,
irritants, empathy, promises kept), their definitions, drill-downs and the coaching view."""
