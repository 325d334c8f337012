using Microsoft.AspNetCore.HttpOverrides;
using Storefront.Apis;
using Storefront.Auth;
using Storefront.Components;
using Storefront.Extensions;

var builder = WebApplication.CreateBuilder(args);

// In every environment, not only Development: serve _framework/, the packages' _content/ (FluentUI) and wwwroot
// through the build output's static web assets manifest, whatever the content root (project folder or bin/). The
// AppHost runs the build output (bin/), which has no wwwroot of its own: without this, Production answers 404.
builder.WebHost.UseStaticWebAssets();
// Run from the build output, MapStaticAssets would send every file with no-cache (its development behaviour), so each
// page load asked again for its stylesheets and script before it could paint. Keep the manifest's own headers instead:
// fingerprinted files (app.css, blazor.web.js) are cached for good, as a changed file gets a new name.
builder.Configuration["EnableStaticAssetsDevelopmentCaching"] = "true";

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// The shopper's own address (behind a proxy on this machine, by default only loopback is trusted as one): OrderingApi
// rate-limits sign-ins per shopper address, which the storefront passes on (see AccountService).
app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAnonymousCartCookie();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapStatusApi();
app.MapAccountApi();
app.MapAnalyticsApi();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
