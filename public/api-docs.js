// Starts Swagger UI on /api-docs. A file of its own because the CSP allows no inline script.
window.SwaggerUIBundle({
  url: '/api-docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false
})
