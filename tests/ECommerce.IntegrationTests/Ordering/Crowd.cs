using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>What the crowd tests share (one app or replicas): requests released at the same moment, sign-ups a few at a
/// time, and the units of a variant sold today.</summary>
public static class Crowd
{
    /// <summary>Sends one request per item, all started first and then released together; the answers in item order.</summary>
    public static async Task<TResult[]> AtOnceAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> send)
    {
        using var start = new SemaphoreSlim(0);
        var sends = items.Select(async item =>
        {
            await start.WaitAsync(Shopper.Cancellation);
            return await send(item);
        }).ToList();
        if (sends.Count > 0)
        {
            start.Release(sends.Count);
        }
        return await Task.WhenAll(sends);
    }

    /// <summary>Registers and signs in every shopper, four at a time (password hashing is slow on purpose).</summary>
    public static async Task SignUpAllAsync(IEnumerable<Shopper> shoppers)
    {
        using var signUps = new SemaphoreSlim(4);
        await Task.WhenAll(shoppers.Select(async shopper =>
        {
            await signUps.WaitAsync(Shopper.Cancellation);
            try
            {
                await shopper.SignUpAsync();
            }
            finally
            {
                signUps.Release();
            }
        }));
    }

    /// <summary>The units of a variant sold today, as the admin's daily sales report them.</summary>
    public static async Task<int> UnitsSoldTodayAsync(TestApp app, int variantId)
    {
        var admin = await new Shopper(app).SignInAsAdminAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var sales = await admin.GetJsonAsync($"/api/sales/daily?from={today}&to={today}&variantId={variantId}");
        return sales.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("units")[0].GetInt32());
    }
}
