/** Copy the issue 20 walkthrough found wrong: articles, and statistics named in words. */
import { describe, expect, it } from 'vitest';
import { withArticle } from '../../web/src/format.js';
import { statisticWords } from '../../web/src/pages/admin/statistics-text.js';

describe('copy', () => {
  it('gives a noun the article English gives it', () => {
    expect(withArticle('imaging study')).toBe('an imaging study');
    expect(withArticle('allergy')).toBe('an allergy');
    expect(withArticle('lab result')).toBe('a lab result');
  });

  it('names a statistic in words, never by its key', () => {
    expect(statisticWords('mean', 'heartRate')).toBe('Mean heart rate');
    expect(statisticWords('sum', 'weight')).toBe('Sum of weight');
    expect(statisticWords('count', 'systolic')).toBe('Count of patients with a systolic blood pressure');
  });
});
