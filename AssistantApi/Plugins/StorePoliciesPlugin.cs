using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>The shop's own policy texts (shipping, returns, payment, warranty): anyone may ask.</summary>
public sealed class StorePoliciesPlugin
{
    [KernelFunction("get_store_policy"), Description("The shop's policy on shipping, returns, payment or warranty.")]
    public PolicyResult GetStorePolicy(
        [Description("shipping, returns, payment or warranty")] string topic) =>
        StorePolicies.Find(topic) ?? throw new ToolException($"There is no policy on that; the topics are {string.Join(", ", StorePolicies.Topics)}.");
}
