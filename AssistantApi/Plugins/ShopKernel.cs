using AssistantApi.Model;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>
/// The Semantic Kernel of one turn: the plugins this caller may use, chosen from the validated token (never from the
/// message), each made for this turn with the request's services (so every call runs with the caller's own token).
/// Anyone gets the catalog lookups, the store policies and what customers say in reviews; signed-in users also their cart, orders and favourites; admins also the
/// forecasts.
/// </summary>
public sealed class ShopKernel(IServiceProvider services)
{
    public const string Catalog = "Catalog";
    public const string StorePolicies = "StorePolicies";
    public const string Specs = "Specs";
    public const string Reviews = "Reviews";
    public const string CartAndOrders = "CartAndOrders";
    public const string Forecasts = "Forecasts";
    public const string Favourites = "Favourites";

    public Kernel For(TurnContext turn)
    {
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<CatalogPlugin>(services, turn), Catalog);
        kernel.Plugins.AddFromObject(new StorePoliciesPlugin(), StorePolicies);
        kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<SpecsPlugin>(services, turn), Specs);
        kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<ReviewsPlugin>(services, turn), Reviews);
        if (turn.Caller is CallerKind.Customer or CallerKind.Admin)
        {
            kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<CartAndOrdersPlugin>(services, turn), CartAndOrders);
            kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<FavouritesPlugin>(services, turn), Favourites);
        }
        if (turn.Caller is CallerKind.Admin)
        {
            kernel.Plugins.AddFromObject(ActivatorUtilities.CreateInstance<ForecastPlugin>(services, turn), Forecasts);
        }
        return kernel;
    }

    /// <summary>The kernel's functions as tools for an <see cref="IChatClient"/> (named "Plugin_function" for the model).</summary>
    public static List<AITool> Tools(Kernel kernel) => [.. kernel.Plugins.SelectMany(plugin => plugin.Select(f => f.WithKernel(kernel)))];

    /// <summary>A tool's own name (the contract's "search_products"), without its plugin's prefix.</summary>
    public static string NameOf(AITool tool) => tool is KernelFunction function ? function.Name : tool.Name;

    /// <summary>Which tools each kind of caller gets, by plugin (for tests and the local engine's wording).</summary>
    public static IReadOnlySet<string> ToolNames(params Type[] plugins) =>
        plugins.SelectMany(t => t.GetMethods()).Select(m => m.GetCustomAttributes(typeof(KernelFunctionAttribute), false).OfType<KernelFunctionAttribute>().FirstOrDefault()?.Name)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> LookupTools = ToolNames(typeof(CatalogPlugin), typeof(StorePoliciesPlugin), typeof(SpecsPlugin), typeof(ReviewsPlugin));
    public static readonly IReadOnlySet<string> CustomerTools = ToolNames(typeof(CartAndOrdersPlugin), typeof(FavouritesPlugin));
    public static readonly IReadOnlySet<string> AdminTools = ToolNames(typeof(ForecastPlugin));
}
