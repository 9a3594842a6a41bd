import { alertGroupName, alertName, recordingGroupName, sliceDashboardUid } from '../conventions.js';
import type { ResolvedSlice } from './spec.js';

/**
 * Every name generated for one slice that must be unique across slices: alert names, rule
 * group names, the dashboard uid and the promtool file names. (Recorded series share names
 * across slices by design; the `slo` label tells them apart.)
 */
export function generatedNames(slice: Pick<ResolvedSlice, 'name'>): { kind: string; name: string }[] {
  return [
    { kind: 'alert name', name: alertName(slice, 'page') },
    { kind: 'alert name', name: alertName(slice, 'ticket') },
    { kind: 'alert name', name: alertName(slice, 'nodata') },
    { kind: 'rule group', name: recordingGroupName(slice) },
    { kind: 'rule group', name: alertGroupName(slice) },
    { kind: 'Grafana dashboard uid', name: sliceDashboardUid(slice) },
    { kind: 'promtool test file', name: `${slice.name}.test.yml` },
  ];
}
