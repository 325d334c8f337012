using Storefront.Apis;
using Storefront.Components;
using Storefront.Extensions;

var builder = WebApplication.CreateBuilder(args);

// In every environment, not only Development: serve the packages' _content/ (Radzen) and wwwroot through
// the build output's static web assets manifest, whatever the content root (project folder or bin/).
builder.WebHost.UseStaticWebAssets();

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapStatusApi();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
