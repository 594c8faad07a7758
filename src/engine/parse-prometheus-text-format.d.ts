/**
 * Types for parse-prometheus-text-format 1.1 (it ships none). Its output
 * follows prom2json: one family per metric name, values as strings as written
 * in the exposition ("1.5e9", "+Inf", "NaN").
 */
declare module 'parse-prometheus-text-format' {
  namespace parsePrometheusTextFormat {
    interface Sample {
      value?: string;
      labels?: Record<string, string>;
      timestamp_ms?: string;
      /** Histograms and summaries. */
      buckets?: Record<string, string>;
      quantiles?: Record<string, string>;
      count?: string;
      sum?: string;
    }
    interface MetricFamily {
      name: string;
      help: string;
      type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED' | string;
      metrics: Sample[];
    }
  }
  /** Throws `InvalidLineError` on a sample or metadata line it cannot read. */
  function parsePrometheusTextFormat(text: string): parsePrometheusTextFormat.MetricFamily[];
  export = parsePrometheusTextFormat;
}
