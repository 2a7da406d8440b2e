// A growable ring buffer of message indexes: FIFO and LIFO queues without per-message
// allocation (capacity doubles when full and is kept afterwards).
#pragma once

#include <cstdint>
#include <vector>

namespace ql {

class RingBuffer
{
public:
    bool empty() const { return size_ == 0; }
    std::uint32_t size() const { return size_; }

    void pushBack(std::uint32_t v)
    {
        if (size_ == buf_.size())
            grow();
        buf_[(head_ + size_) & mask_] = v;
        ++size_;
    }
    void pushFront(std::uint32_t v)
    {
        if (size_ == buf_.size())
            grow();
        head_ = (head_ + mask_) & mask_; // head - 1, modulo the capacity
        buf_[head_] = v;
        ++size_;
    }
    std::uint32_t front() const { return buf_[head_]; }
    std::uint32_t back() const { return buf_[(head_ + size_ - 1) & mask_]; }
    std::uint32_t popFront()
    {
        const std::uint32_t v = buf_[head_];
        head_ = (head_ + 1) & mask_;
        --size_;
        return v;
    }
    std::uint32_t popBack()
    {
        --size_;
        return buf_[(head_ + size_) & mask_];
    }
    void clear() { head_ = size_ = 0; }

private:
    void grow()
    {
        const std::size_t cap = buf_.empty() ? 16 : buf_.size() * 2;
        std::vector<std::uint32_t> next(cap);
        for (std::uint32_t i = 0; i < size_; ++i)
            next[i] = buf_[(head_ + i) & mask_];
        buf_.swap(next);
        head_ = 0;
        mask_ = std::uint32_t(cap - 1);
    }

    std::vector<std::uint32_t> buf_;
    std::uint32_t head_ = 0, size_ = 0, mask_ = 0;
};

} // namespace ql
