// Personal data as UK GDPR expects: retention, legal holds, subject access and erasure.
export {};
