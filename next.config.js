/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native drivers and Prisma's runtime stay plain Node requires instead of being bundled.
  serverExternalPackages: ["@opentelemetry/sdk-node", "@opentelemetry/exporter-trace-otlp-proto", "better-sqlite3", "pg", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "@prisma/client"],
  poweredByHeader: false,
};

module.exports = nextConfig;
