using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>
/// An app of its own for the tests that attack it (the fuzz suite sends admin requests with made-up input) or break
/// its servers (fault drills): the shared app's tests never see what these leave behind.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HardeningCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "Hardening (own app)";
}
