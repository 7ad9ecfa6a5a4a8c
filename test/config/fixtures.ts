// The CONTRACT §3 example, verbatim.
export const CONTRACT_EXAMPLE = `groups:
  default: { ratio: 1 }
  vip:     { ratio: 0.8 }
channels:
  - name: google
    type: gemini                 # gemini | openai | anthropic | openai-compatible | simulator | …
    base_url: https://generativelanguage.googleapis.com
    keys: ["\${GEMINI_API_KEY}"]  # several keys: rotated, failed ones set aside
    models: [gemini-2.5-flash-image, gemini-3-pro-image-preview]
    model_mapping: { nano-banana: gemini-2.5-flash-image }
    groups: [default]
    priority: 10                 # higher tier tried first
    weight: 1                    # share within a tier
users:
  - name: alice
    group: default
    balance_usd: 20
tokens:
  - name: demo
    user: alice                  # default: the root admin user (no balance limit)
    key: sk-demo-0123456789abcdef0123456789abcdef   # optional; generated when absent
    quota_usd: 5                 # or unlimited: true
    models: [gemini-2.5-flash-image]   # optional allow-list
    allow_ips: [127.0.0.1/32]          # optional CIDR allow-list
    expires_at: 2027-01-01T00:00:00Z   # optional
prices:                          # USD; overrides the built-in table
  gemini-3-pro-image-preview:
    input_per_mtok: 2
    output_per_mtok: 12
    image_output_per_mtok: 120
    per_image: { "1K": 0.134, "2K": 0.134, "4K": 0.24 }
`;
