/** Reading `view.state.values` by our own block ids (shapes as in shared/fixtures/slack). */
type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_user?: string | null;
  selected_date_time?: number | null;
};
export type StateValues = Record<string, Record<string, StateValue>>;

function element(values: StateValues, blockId: string): StateValue | undefined {
  const block = values[blockId];
  return block ? Object.values(block)[0] : undefined;
}

export function textValue(values: StateValues, blockId: string): string | null {
  return element(values, blockId)?.value ?? null;
}

export function selectedValue(values: StateValues, blockId: string): string | null {
  return element(values, blockId)?.selected_option?.value ?? null;
}

export function selectedValues(values: StateValues, blockId: string): string[] {
  return (element(values, blockId)?.selected_options ?? []).map((option) => option.value);
}

export function selectedUser(values: StateValues, blockId: string): string | null {
  return element(values, blockId)?.selected_user ?? null;
}

/** A datetimepicker's value (Unix seconds) as a Date. */
export function selectedDateTime(values: StateValues, blockId: string): Date | null {
  const seconds = element(values, blockId)?.selected_date_time;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}
