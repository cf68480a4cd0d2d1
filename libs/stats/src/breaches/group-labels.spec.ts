import { staticLabel } from './group-labels';

describe('staticLabel', () => {
  it('names months, body types, outcomes and areas without a lookup', () => {
    expect(staticLabel('month', '2025-03')).toBe('March 2025');
    expect(staticLabel('bodyType', 'fire_rescue')).toBe('Fire and rescue service');
    expect(staticLabel('outcome', 'open')).toBe('Open');
    expect(staticLabel('area', 'Harborough')).toBe('Harborough');
  });

  it('names the no-commitment group and leaves registry keys to a lookup', () => {
    expect(staticLabel('commitment', 'none')).toBe('No commitment recorded');
    expect(staticLabel('commitment', '6f1c1f0e-0000-4000-8000-000000000000')).toBeNull();
    expect(staticLabel('respondent', '6f1c1f0e-0000-4000-8000-000000000000')).toBeNull();
  });
});
