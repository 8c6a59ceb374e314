import { useGet } from '../data.ts';
import type { Execution, Workflows } from '../types.ts';
import { PageTitle, Show, Status, Table, Time } from '../ui.tsx';

/** Operators: recent executions of every workflow, failed ones first, with the failing step; counts per day. */
export function WorkflowsPage() {
  const loaded = useGet<Workflows>('/api/workflows', 10_000);
  return (
    <>
      <PageTitle lead="Recent runs of every workflow, failures first.">Workflows</PageTitle>
      <Show loaded={loaded}>
        {({ items, perDay }) => (
          <>
            <h2>Recent executions</h2>
            <Table<Execution>
              caption="Recent executions"
              rows={items}
              rowKey={(e) => `${e.workflow}:${e.name}`}
              empty="No workflow has run yet. Post a hire to the HRIS webhook to start one."
              columns={[
                { label: 'Workflow', cell: (e) => e.workflow },
                { label: 'Execution', cell: (e) => <code>{e.name}</code> },
                { label: 'Status', cell: (e) => <Status status={e.status} /> },
                { label: 'Started', cell: (e) => <Time at={e.startedAt} /> },
                { label: 'Failing step', cell: (e) => e.failedStep ?? '—' },
                { label: 'Error', cell: (e) => e.error ?? '—' },
              ]}
            />
            <h2>Per day</h2>
            <Table
              caption="Executions per day"
              rows={perDay}
              rowKey={(d) => `${d.day}:${d.workflow}`}
              empty="No executions yet."
              columns={[
                { label: 'Day (UTC)', cell: (d) => d.day },
                { label: 'Workflow', cell: (d) => d.workflow },
                { label: 'Succeeded', cell: (d) => d.succeeded },
                { label: 'Failed', cell: (d) => d.failed },
                { label: 'Running', cell: (d) => d.running },
              ]}
            />
          </>
        )}
      </Show>
    </>
  );
}
