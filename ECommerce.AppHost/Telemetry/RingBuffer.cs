namespace ECommerce.AppHost.Telemetry;

/// <summary>A fixed-size buffer that overwrites its oldest item when full. Not thread-safe: callers lock.</summary>
internal sealed class RingBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[capacity];
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    /// <summary>Adds the item; returns true when it pushed the oldest one out.</summary>
    public bool Add(T item)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = item;
            Count++;
            return false;
        }
        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        return true;
    }

    /// <summary>The item at position <paramref name="index"/>, 0 being the oldest.</summary>
    public T this[int index] => _items[(_start + index) % _items.Length];

    public T? Last => Count == 0 ? default : this[Count - 1];

    public IEnumerable<T> OldestFirst()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    public IEnumerable<T> NewestFirst()
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            yield return this[i];
        }
    }
}
