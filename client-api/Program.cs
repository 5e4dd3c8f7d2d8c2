using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Extensions;
using Evaluation.ClientApi.Pages;
using Evaluation.ClientApi.Security;
using Evaluation.ServiceDefaults;
using Scalar.AspNetCore;

// `--in-memory` is the documented switch; configuration knows it as Evaluation:InMemory.
args = [.. args.Select(a => a == "--in-memory" ? "--Evaluation:InMemory=true" : a)];
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("evaluation-api");
builder.AddApplicationServices();

var app = builder.Build();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAccessControl();

// After the rate limiter, so a cached answer still counts against its reader's budget.
app.UseOutputCache();
app.UsePublicCompression();

if (app.Services.GetRequiredService<ApiSettings>().ApiDocs ?? app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapHealthEndpoints();
app.MapOrleansDashboardForSupervisors();
app.MapIngestionApi();
app.MapPublicApi();
app.MapAdminApi();
app.MapSourcesApi();
app.MapAlertsApi();
app.MapDevTokenApi();
app.MapAuditApi();
app.MapFollowUpApi();
app.MapSubscriptionApi();
app.MapReportsApi();
app.MapPortals();

app.Run();

/// <summary>Visible to the functional tests, which host this very application.</summary>
public partial class Program;
